"""credentials"""
